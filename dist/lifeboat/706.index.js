export const id = 706;
export const ids = [706];
export const modules = {

/***/ 54706:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ SQLITE_MEMBER),
/* harmony export */   sqlitePath: () => (/* binding */ sqlitePath),
/* harmony export */   v: () => (/* reexport safe */ _types_js__WEBPACK_IMPORTED_MODULE_1__.vm)
/* harmony export */ });
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(35708);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(97145);
/** `sqlite:` paths and the member name: nothing here opens a database. */

const SQLITE_MEMBER = 'database.sqlite';

/**
 * The file a `sqlite:` URL (or, for targets, a plain path) names, absolute. Relative paths are
 * relative to the working directory.
 */
function sqlitePath(url, option, cwd = process.cwd()) {
    return (0,_core_url_js__WEBPACK_IMPORTED_MODULE_0__/* .localPath */ .$S)(url, option, SQLITE_PATH, cwd);
}
const SQLITE_PATH = {
    scheme: 'sqlite',
    noun: 'file',
    local: 'SQLite databases are local files',
    relativeExample: './relative/path.db',
    absoluteExample: '/absolute/path.db',
    example: 'sqlite:./app.db',
};


/***/ })

};
