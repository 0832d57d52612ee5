package e2e

import "fmt"

// How the tests reach the page's scripts (docs/arch/modules.md, "How tests reach page modules"):
// the page's site-config maps every ES module's name to its URL (site-config.modules), and a test
// imports the one it needs: the same module instance the page runs, so it sees the page's
// playgrounds, spare workers and progress.

// pageReady is true once the page's entry module has set everything up.
const pageReady = `document.readyState === "complete" && document.documentElement.dataset.scripts === "ready"`

// pageJS wraps a JS expression (which may await) in an async function that has config (the
// page's site-config) and mod(name) (a promise of one of its modules) in scope:
//
//	pageJS(`(await mod("runner")).runProgram({wasm: config.base + "e2e/spin.wasm"})`)
func pageJS(expr string) string {
	return `(async () => { const config = JSON.parse(document.getElementById("site-config").textContent);
		const mod = (name) => import(config.modules[name]); return (` + expr + `) })()`
}

// pgAPI is an expression (inside pageJS) for the API of an example's playground
// (playground.js instance(): run, stop, readParams, timeline, csv).
func pgAPI(example string) string {
	return fmt.Sprintf(`(await mod("playground")).instance(%s)`, pg(example))
}

// edits is an expression (inside pageJS) for the sources of an example's playground
// (editor.js instance(): {sync, concurrent}, each with its editor once loaded), or null.
func edits(example string) string {
	return fmt.Sprintf(`(await mod("editor")).instance(%s)`, pg(example))
}

// challengeState is an expression (inside pageJS) for a challenge's state (challenge.js
// instance(): {editor, text}), or null.
func challengeState(id string) string {
	return fmt.Sprintf(`(await mod("challenge")).instance(%s)`, chal(id))
}
