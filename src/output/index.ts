/**
 * The output module: the only code of the package that writes to the file system. Every folder the
 * package writes goes through OutputDirectory (marker, lock, crash-safe replacement); the one in-place
 * edit of a user's file is replaceFileContent.
 */
export * from './errors';
export * from './names';
export * from './marker';
export * from './paths';
export * from './output-directory';
export * from './in-place';
export * from './record';
export { fileModeLike, symlinkError, lstatOrUndefined } from './fs-safe';
