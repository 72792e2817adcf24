// One process per log directory: a second validator process on the same WAL or sign guard would sign
// without seeing the first one's votes. The lock is a file holding the owner's pid, created with O_EXCL;
// a lock whose pid is dead (SIGKILL leaves it behind) is stale and taken over. Also refuses a second open
// of the same directory inside one process.

import * as fs from "node:fs";
import * as path from "node:path";
import { WalError } from "./store-errors.ts";

const heldInProcess = new Set<string>();

export class DirLock {
  private released = false;

  private constructor(private readonly file: string) {}

  static acquire(dir: string, name: string): DirLock {
    const file = path.join(fs.realpathSync(dir), name);
    if (heldInProcess.has(file)) throw locked(file, process.pid);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, "wx");
        try {
          fs.writeSync(fd, `${process.pid}\n`);
        } finally {
          fs.closeSync(fd);
        }
        heldInProcess.add(file);
        return new DirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const owner = readOwner(file);
        if (owner !== null && owner !== process.pid && isAlive(owner)) throw locked(file, owner);
        fs.rmSync(file, { force: true });
      }
    }
    throw locked(file, readOwner(file) ?? -1);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldInProcess.delete(this.file);
    fs.rmSync(this.file, { force: true });
  }
}

function readOwner(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function locked(file: string, owner: number): WalError {
  return new WalError("WAL_ERROR_LOCKED", `${file} is held by process ${owner}; is another node running on this directory?`, {
    file,
    owner,
  });
}
