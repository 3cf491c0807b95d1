/**
 * The durable safety record of the consensus driver (DESIGN §Consensus): one small file in the data
 * dir, replaced atomically — write a temporary file, fsync it, rename it over the record, fsync the
 * directory — so that after a crash at any instant the file holds either the old or the new record,
 * and a record `save` returned from is on disk before any signature it covers leaves the node.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { type SafetyRecord, decodeSafetyRecord, encodeSafetyRecord } from "../consensus/index.ts";
import { ValidatorNodeError, ValidatorNodeErrorCode } from "./errors.ts";

/** Where the driver keeps its safety record. */
export interface SafetyStore {
  /**
   * The stored record, or null when none was ever written.
   * @throws {ConsensusError} SAFETY_RECORD_CORRUPT when the file does not decode (do not sign then).
   */
  load(): SafetyRecord | null;
  /**
   * Write the record durably; returns only once it is on disk.
   * @throws {ValidatorNodeError} SAFETY_WRITE_FAILED.
   */
  save(record: SafetyRecord): void;
}

function fsyncDir(dir: string): void {
  // Makes the rename itself durable. Some platforms cannot open a directory; the rename of a
  // fsynced file is then as durable as that file system makes it.
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // see above
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The safety record in the file `path` (its directory is created). */
export function createSafetyFile(path: string): SafetyStore {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  return {
    load() {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(path);
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") return null;
        throw e;
      }
      return decodeSafetyRecord(new Uint8Array(bytes));
    },
    save(record) {
      const bytes = encodeSafetyRecord(record);
      try {
        const fd = openSync(tmp, "w", 0o600);
        try {
          let off = 0;
          while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, path);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new ValidatorNodeError({ code: ValidatorNodeErrorCode.SAFETY_WRITE_FAILED, path, reason }, `cannot write the safety record ${path}: ${reason}`, { cause: e });
      }
      fsyncDir(dir);
    },
  };
}

/** A safety record kept in memory only (tests, and observers that never sign). */
export function createMemorySafetyStore(initial: SafetyRecord | null = null): SafetyStore & { writes: number } {
  let bytes = initial ? encodeSafetyRecord(initial) : null;
  const store = {
    writes: 0,
    load: () => (bytes ? decodeSafetyRecord(bytes) : null),
    save(record: SafetyRecord) {
      bytes = encodeSafetyRecord(record);
      store.writes++;
    },
  };
  return store;
}
