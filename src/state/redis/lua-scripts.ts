/**
 * The Lua scripts behind every state operation that takes more than one Redis command. A script runs
 * atomically on the server; ioredis sends it once per connection (EVAL) and then only its SHA (EVALSHA),
 * re-sending it after NOSCRIPT (a restarted or flushed server). Every script takes the (prefixed) key as
 * KEYS[1]; everything else arrives in ARGV, so keys and values are data, never code. A TTL of '0' means
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

/** ARGV: hasExpected ('1' | '0'), expected, next, ttl. Returns 1 when it wrote. */
export const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[4] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`;

/** ARGV: owner, ttl. Returns {1, owner} when the caller holds the claim, {0, holder} otherwise. */
export const CLAIM_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return {0, holder}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, ARGV[1]}
`;

/** ARGV: value, ttl. Returns 1 when it stored. TYPE, not GET: no copy of a large existing value. */
export const RECORD_ONCE_SCRIPT = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return 0 end
if kind ~= 'none' then
  return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
end
if ARGV[2] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
`;

/** The scripts by the command name they get on the client. */
export const STATE_SCRIPTS = {
  tributaryIncr: INCR_SCRIPT,
  tributaryHset: HSET_SCRIPT,
  tributarySadd: SADD_SCRIPT,
  tributaryCompareAndSet: COMPARE_AND_SET_SCRIPT,
  tributaryClaim: CLAIM_SCRIPT,
  tributaryRecordOnce: RECORD_ONCE_SCRIPT,
} as const;

/** The typed face of the commands that `defineCommand` adds to the client (array arguments are flattened). */
export interface StateScriptCommands {
  tributaryIncr(key: string, by: string, ttl: string): Promise<number>;
  tributaryHset(key: string, ttl: string, fieldsAndValues: string[]): Promise<number>;
  tributarySadd(key: string, ttl: string, members: readonly string[]): Promise<number>;
  tributaryCompareAndSet(
    key: string,
    hasExpected: string,
    expected: string,
    next: string,
    ttl: string,
  ): Promise<number>;
  tributaryClaim(key: string, owner: string, ttl: string): Promise<[number, string]>;
  tributaryRecordOnce(key: string, value: string, ttl: string): Promise<number>;
}
