export const id = 560;
export const ids = [560];
export const modules = {

/***/ 11560:
/***/ ((__webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _core_warnings_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(67488);

(0,_core_warnings_js__WEBPACK_IMPORTED_MODULE_0__/* .quietExperimentalSqliteWarning */ .P)();
const { run } = await Promise.all(/* import() */[__webpack_require__.e(770), __webpack_require__.e(314), __webpack_require__.e(584)]).then(__webpack_require__.bind(__webpack_require__, 19584));
await run();

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
