/** Where a tail stopped in a file: which file (inode) and how far (bytes and complete lines consumed). */
export interface FilePosition {
  /** Inode number as a decimal string (inodes may exceed 2^53). */
  inode: string;
  /** Bytes consumed from the start of that inode; always just after a newline. */
  offset: number;
  /** Lines consumed, for `line N` locations after a restart. */
  line: number;
}

/**
 * Durable tail positions, keyed by the tailed path. Contract: `load` returns what the last `save` for that
 * path stored (a copy), or undefined. A tail saves only after its consumer accepted the lines before the
 * position, so a restart resumes exactly after the last accepted line.
 */
export interface PositionStore {
  load(path: string): Promise<FilePosition | undefined>;
  save(path: string, position: FilePosition): Promise<void>;
}

export class InMemoryPositionStore implements PositionStore {
  readonly #positions = new Map<string, FilePosition>();

  load(path: string): Promise<FilePosition | undefined> {
    const position = this.#positions.get(path);
    return Promise.resolve(position === undefined ? undefined : { ...position });
  }

  save(path: string, position: FilePosition): Promise<void> {
    this.#positions.set(path, { ...position });
    return Promise.resolve();
  }
}
