// Package lessontest checks that the code shown in the lessons does what
// the lessons say, beyond what the build checks.
//
// Its test, tagged timed because it starts python3, runs every ```python
// block of every lesson as a complete program with Python 3.11 or later
// (Debian's python3 where there is one): each must exit 0 without a
// traceback. The blocks are written to run as shown, with the real aiohttp
// (Debian's python3-aiohttp): testdata/stubs/sitecustomize.py sends every URL
// they fetch (urllib or aiohttp) to a site/lab server the test starts, and
// makes aiohttp.web.run_app serve the app for real, ask each route once and
// return. asyncpg, which needs a PostgreSQL server, is a stand-in
// (testdata/stubs/asyncpg.py); testdata/stubs is first on PYTHONPATH.
package lessontest
