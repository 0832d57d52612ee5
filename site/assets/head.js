// head.js — inlined by the asset pipeline into every page's <head>, before the stylesheet, so a
// page never flashes in the other theme (theme.js keeps data-theme up to date afterwards). The
// pipeline strips these comment lines and allows the rest by its hash in the page's CSP.
try{document.documentElement.dataset.theme=localStorage.getItem("unblocked.theme")||(matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light")}catch(e){}
