export const id = 708;
export const ids = [708];
export const modules = {

/***/ 26708:
/***/ ((__webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _core_warnings_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(67488);

(0,_core_warnings_js__WEBPACK_IMPORTED_MODULE_0__/* .quietExperimentalSqliteWarning */ .P)();
const { main } = await Promise.all(/* import() */[__webpack_require__.e(770), __webpack_require__.e(314), __webpack_require__.e(107)]).then(__webpack_require__.bind(__webpack_require__, 48107));
const { cancelOnSignals } = await __webpack_require__.e(/* import() */ 91).then(__webpack_require__.bind(__webpack_require__, 24091));
// On a terminal the line first erases the live progress line it would otherwise run into.
const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
const cancellation = cancelOnSignals((line) => process.stderr.write(`${erase}${line}\n`));
const stdout = process.stdout.write.bind(process.stdout);
if (process.argv.includes('--json')) {
    // Libraries (the artifact client) print progress to stdout; with --json it must hold only JSON.
    process.stdout.write = process.stderr.write.bind(process.stderr);
}
process.exitCode = await main(process.argv.slice(2), {
    stdout: (t) => stdout(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY,
    columns: () => process.stderr.columns || 80,
    signal: cancellation.signal,
    ...(process.stdin.isTTY && process.stderr.isTTY
        ? {
            prompt: async (question) => {
                const { createInterface } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 26848, 19));
                const rl = createInterface({ input: process.stdin, output: process.stderr });
                try {
                    return (await rl.question(question)).trim();
                }
                finally {
                    rl.close();
                }
            },
        }
        : {}),
});
cancellation.dispose();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 67488:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ quietExperimentalSqliteWarning)
/* harmony export */ });
/**
 * node:sqlite prints "SQLite is an experimental feature" on first use; in a backup log that
 * reads like a problem with the user's database. Drop that one warning and keep every other.
 */
function quietExperimentalSqliteWarning() {
    const emit = process.emitWarning.bind(process);
    process.emitWarning = ((warning, ...rest) => {
        const text = warning instanceof Error ? warning.message : String(warning);
        if (/SQLite is an experimental feature/.test(text))
            return;
        emit(warning, ...rest);
    });
}


/***/ })

};
