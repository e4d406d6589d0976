/** Glob matching moved to the project scan, which lists files by glob too. */
export { globBase, globToRegExp, globsCover } from '../../project/glob-match.js';
