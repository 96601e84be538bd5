/** The operations that go out in batches (BATCH_SCRIPT): get, claim, recordOnce, compareAndSet. */
export type BatchedOp = 'get' | 'claim' | 'recordOnce' | 'compareAndSet';

const OP_CODES: Readonly<Record<BatchedOp, string>> = {
  get: 'g',
  claim: 'c',
  recordOnce: 'r',
  compareAndSet: 's',
};

/** One operation's reply: 1 / 0 with a text (value, owner, holder), or -1 with an error message. */
export type BatchReply = readonly [code: number, text: string];

/** The four arguments of a batched operation ('' where unused). */
export type BatchArgs = readonly [string, string, string, string];

/** Sends one batch: the keys, then five cells per key (operation code and its four arguments). */
export type SendBatch = (keys: readonly string[], cells: readonly string[]) => Promise<(number | string)[]>;

interface Pending {
  op: BatchedOp;
  key: string;
  args: BatchArgs;
  resolve(reply: BatchReply): void;
  reject(err: unknown): void;
}

/** Operations per script call: enough to amortize the call, few enough not to stall Redis (~0.1 ms). */
const MAX_BATCH = 128;
/** Bytes of arguments per script call, so a few large values do not make one huge command. */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * Gathers the register and ledger operations issued in one turn of the event loop (up to
 * `process.nextTick`, so every continuation of the replies that arrived together is in) and sends them as
 * one script call, in issue order. Per key the script does what the single operation did, atomically; one
 * call for many operations spends far less client and server CPU than a command each. Callers keep issue
 * order with other commands by calling `flush()` before writing any of them.
 */
export class ScriptBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly send: SendBatch) {}

  add(op: BatchedOp, key: string, args: BatchArgs): Promise<BatchReply> {
    return new Promise<BatchReply>((resolve, reject) => {
      this.pending.push({ op, key, args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => this.flush());
      }
    });
  }

  /** Writes everything pending now, in issue order. */
  flush(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    let start = 0;
    while (start < all.length) {
      let end = start;
      let bytes = 0;
      while (end < all.length && end - start < MAX_BATCH && bytes < MAX_BATCH_BYTES) {
        const next = all[end] as Pending;
        bytes += next.key.length + next.args.reduce((n, a) => n + a.length, 0);
        end++;
      }
      this.sendRun(all.slice(start, end));
      start = end;
    }
  }

  private sendRun(run: readonly Pending[]): void {
    const cells: string[] = [];
    for (const p of run) cells.push(OP_CODES[p.op], ...p.args);
    this.send(
      run.map((p) => p.key),
      cells,
    ).then(
      (reply) => {
        run.forEach((p, i) => {
          const code = reply[2 * i];
          const text = reply[2 * i + 1];
          if (typeof code !== 'number' || text === undefined) {
            p.reject(new Error(`malformed batch reply (${reply.length} cells for ${run.length} keys)`));
          } else {
            p.resolve([code, String(text)]);
          }
        });
      },
      (err: unknown) => {
        for (const p of run) p.reject(err);
      },
    );
  }
}
