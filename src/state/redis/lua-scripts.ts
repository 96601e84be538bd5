/**
 * The Lua scripts behind every state operation that takes more than one Redis command. A script runs
 * atomically on the server; ioredis sends it once per connection (EVAL) and then only its SHA (EVALSHA),
 * re-sending it after NOSCRIPT (a restarted or flushed server). Every script takes the (prefixed) key as
 * KEYS[1] (the batch script a list of keys); everything else arrives in ARGV, so keys and
 * values are data, never code. A TTL of '0' means
 * "no TTL given". Errors of `redis.call` (WRONGTYPE, "not an integer") abort the script before any write.
 */

/** ARGV: by, ttl. Creates with TTL (fixed window); refuses to leave the safe integer range. */
export const INCR_SCRIPT = `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value > 9007199254740991 or value < -9007199254740991 then
  redis.call('DECRBY', KEYS[1], ARGV[1])
  return redis.error_reply('ERR increment would overflow a safe integer')
end
if existed == 0 and ARGV[2] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
`;

/** ARGV: ttl, field1, value1, field2, value2... Chunked: unpack() is bounded by Lua's C stack. */
export const HSET_SCRIPT = `
local n = #ARGV
for i = 2, n, 1000 do
  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, n)))
end
if ARGV[1] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
`;

/** ARGV: ttl, member1, member2... Returns how many members were new. */
export const SADD_SCRIPT = `
local n = #ARGV
local added = 0
for i = 2, n, 1000 do
  added = added + redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, n)))
end
if ARGV[1] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return added
`;

/**
 * The register and ledger operations of one batch, in issue order, one key each (KEYS[i]); a batch of one
 * is a single operation. ARGV holds five cells per key: the operation and four arguments ('' unused):
 * - `g` get: 1 and the value, or 0 when absent;
 * - `c` claim (owner, ttl): 1 and the owner when the caller holds it after this, 0 and the holder otherwise;
 * - `r` recordOnce (value, ttl): 1 stored, 0 already there; TYPE, not GET: no copy of a large value;
 * - `s` compareAndSet (hasExpected '1' | '0', expected, next, ttl): 1 when it wrote.
 * A ttl of '0' means none. Returns two cells per key: the code and a text; -1 and the error (WRONGTYPE)
 * fails that key alone and leaves it unchanged. The script runs atomically, so each operation is as
 * atomic as when it ran alone, and none interleaves with another client's.
 */
export const BATCH_SCRIPT = `
local out = {}
for i = 1, #KEYS do
  local key, base = KEYS[i], (i - 1) * 5
  local op, a, b, c, d = ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
  local code, text = 0, ''
  if op == 'r' then
    local kind = redis.call('TYPE', key).ok
    if kind == 'none' then
      if b ~= '0' then redis.call('SET', key, a, 'PX', b) else redis.call('SET', key, a) end
      code = 1
    elseif kind ~= 'string' then
      code, text = -1, 'WRONGTYPE Operation against a key holding the wrong kind of value'
    end
  else
    local ok, current = pcall(redis.call, 'GET', key)
    if not ok then
      code, text = -1, type(current) == 'table' and current.err or tostring(current)
    elseif op == 'g' then
      if current then code, text = 1, current end
    elseif op == 'c' then
      if current and current ~= a then
        text = current
      else
        redis.call('SET', key, a, 'PX', b)
        code, text = 1, a
      end
    elseif op == 's' then
      if (a == '1' and current == b) or (a ~= '1' and not current) then
        if d ~= '0' then redis.call('SET', key, c, 'PX', d) else redis.call('SET', key, c) end
        code = 1
      end
    else
      code, text = -1, 'ERR unknown batched operation ' .. tostring(op)
    end
  end
  out[2 * i - 1] = code
  out[2 * i] = text
end
return out
`;

/** The scripts that take a batch of keys: their key count is the command's first argument. */
export const BATCHED_SCRIPTS: ReadonlySet<string> = new Set(['tributaryBatch']);

/** The scripts by the command name they get on the client. */
export const STATE_SCRIPTS = {
  tributaryIncr: INCR_SCRIPT,
  tributaryHset: HSET_SCRIPT,
  tributarySadd: SADD_SCRIPT,
  tributaryBatch: BATCH_SCRIPT,
} as const;

/** The typed face of the commands that `defineCommand` adds to the client (array arguments are flattened). */
export interface StateScriptCommands {
  tributaryIncr(key: string, by: string, ttl: string): Promise<number>;
  tributaryHset(key: string, ttl: string, fieldsAndValues: string[]): Promise<number>;
  tributarySadd(key: string, ttl: string, members: readonly string[]): Promise<number>;
  /** See BATCH_SCRIPT: the number of keys, the keys, then five cells per key. */
  tributaryBatch(numberOfKeys: number, keysThenArgs: readonly string[]): Promise<(number | string)[]>;
}
