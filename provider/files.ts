import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, writeSync, type Stats } from "node:fs";

/**
 * Small files of the user's own (credential files, a web identity token, the budget folder's
 * files), read and written so that nothing planted there can hang the process or fill its
 * memory: a named pipe would block a plain read forever (signals included, the event loop being
 * stuck in it), and a link to /dev/zero would grow memory by gigabytes. Only regular files are
 * read, opened without blocking, checked once opened, and never more than their cap.
 */

/** A file that is there and cannot be used: the message names the file and what is wrong, never what it holds. */
export class UserFileError extends Error {
  constructor(
    readonly file: string,
    /** What is wrong, to follow the file's name: "is a named pipe (FIFO), not a regular file". */
    readonly problem: string,
    /** The file system's error code, when it refused (ENOENT, EACCES, ...). */
    readonly code?: string,
  ) {
    super(`${file} ${problem}`);
    this.name = "UserFileError";
  }
}

export interface ReadOptions {
  /** Larger files are refused. */
  maxBytes: number;
  /**
   * Whether a symbolic link is followed (credential files: a Kubernetes projected token is a
   * link); in the budget folder nothing is (a link is refused).
   */
  followLinks?: boolean;
  /** A missing file is a UserFileError too (ENOENT), not undefined. */
  required?: boolean;
}

/**
 * The text of a small regular file; undefined when there is none (ENOENT, ENOTDIR). Anything
 * else is a UserFileError: not a regular file, larger than `maxBytes`, unreadable.
 */
export function readUserFile(file: string, options: ReadOptions & { required: true }): string;
export function readUserFile(file: string, options: ReadOptions): string | undefined;
export function readUserFile(file: string, { maxBytes, followLinks = true, required = false }: ReadOptions): string | undefined {
  // Looked at before it is opened: opening a device can have effects of its own.
  let before: Stats;
  try {
    before = followLinks ? statSync(file) : lstatSync(file);
  } catch (error) {
    return missingOr(file, error, required);
  }
  checkRegular(file, before, maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: a pipe swapped in since the look opens at once instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (followLinks ? 0 : constants.O_NOFOLLOW));
  } catch (error) {
    return missingOr(file, error, required);
  }
  try {
    checkRegular(file, fstatSync(fd), maxBytes);
    const buffer = Buffer.alloc(maxBytes + 1);
    let size = 0;
    for (let read; size < buffer.length && (read = readSync(fd, buffer, size, buffer.length - size, null)) > 0; ) size += read;
    if (size > maxBytes) throw new UserFileError(file, `is larger than ${describeSize(maxBytes)}`);
    return buffer.subarray(0, size).toString("utf8");
  } catch (error) {
    if (error instanceof UserFileError) throw error;
    throw new UserFileError(file, `cannot be read (${codeOf(error)})`, codeOf(error));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` to `file` (0600), creating it or replacing what a regular file held, never
 * through a symbolic link and never blocking on a pipe.
 */
export function writeUserFile(file: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
  } catch (error) {
    const code = codeOf(error);
    // ELOOP: O_NOFOLLOW on a link; ENXIO: O_NONBLOCK on a pipe nothing reads.
    const problem = code === "ELOOP" ? "is a symbolic link, not a regular file" : code === "ENXIO" ? "is a named pipe (FIFO), not a regular file" : `cannot be written (${code})`;
    throw new UserFileError(file, problem, code);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UserFileError(file, `is ${kindOf(fstatSync(fd))}, not a regular file`);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function checkRegular(file: string, stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new UserFileError(file, `is ${kindOf(stats)}, not a regular file`);
  if (stats.size > maxBytes) throw new UserFileError(file, `is larger than ${describeSize(maxBytes)} (${stats.size} bytes)`);
}

function missingOr(file: string, error: unknown, required: boolean): undefined {
  const code = codeOf(error);
  if ((code === "ENOENT" || code === "ENOTDIR") && !required) return undefined;
  // O_NOFOLLOW on a link.
  if (code === "ELOOP") throw new UserFileError(file, "is a symbolic link, not a regular file", code);
  throw new UserFileError(file, `cannot be read (${code})`, code);
}

/** What a file is, for messages. */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return stats.isFile() ? "a regular file" : "not a file";
}

function describeSize(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : "read error";
}
