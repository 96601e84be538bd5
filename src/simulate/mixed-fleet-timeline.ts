import { pick } from './random.ts';

/** [start, end], true epoch ms. */
export type Interval = [number, number];

/** When each part of one request truly happens (epoch ms), and on which hosts. */
export interface RequestTimeline {
  hosts: { storefront: string; orders: string; pricing: string };
  storefront: { start: number; end: number; clientStart: number; clientEnd: number };
  orders: {
    start: number;
    end: number;
    /** Events: the controller (0), the inventory call (1), the pricing call (2), the async submit (3). */
    events: [Interval, Interval, Interval, Interval];
    async: Interval;
  };
  inventory: { start: number; end: number; check: Interval; sql: Interval };
  pricing: { start: number; end: number; work: Interval; client: Interval };
  catalog: { start: number; end: number; controller: Interval; cache: Interval };
}

const u = (random: () => number, lo: number, hi: number): number => lo + random() * (hi - lo);

/**
 * The true timeline of one request arriving at `t0`, built in call order: a caller's client span ends
 * after its callee's server span plus network time (0.3-2.5 ms each way); some database and cache
 * calls are slow.
 */
export function requestTimeline(r: () => number, t0: number): RequestTimeline {
  const net = (): number => u(r, 0.3, 2.5);
  const hosts = {
    storefront: pick(r, ['storefront-1', 'storefront-2']),
    orders: pick(r, ['orders-01', 'orders-02']),
    pricing: pick(r, ['pricing-1', 'pricing-2']),
  };
  const sfClientStart = t0 + u(r, 1, 4);
  const orStart = sfClientStart + net();
  const ev0 = orStart + u(r, 0.2, 1);
  const ev1 = ev0 + u(r, 0.5, 2);
  const invStart = ev1 + net();
  const check = invStart + u(r, 0.1, 0.5);
  const sqlStart = check + u(r, 0.2, 1);
  const sqlEnd = sqlStart + (r() < 0.1 ? u(r, 20, 80) : u(r, 1, 8));
  const checkEnd = sqlEnd + u(r, 0.2, 1);
  const invEnd = checkEnd + u(r, 0.1, 0.5);
  const ev1End = invEnd + net();
  const ev2 = ev1End + u(r, 0.2, 1);
  const prStart = ev2 + net();
  const workStart = prStart + u(r, 0.2, 1);
  const workEnd = workStart + u(r, 1, 5);
  const prClient = workEnd + u(r, 0.1, 0.5);
  const caStart = prClient + net();
  const controller = caStart + u(r, 0.1, 0.5);
  const cacheStart = controller + u(r, 0.2, 0.6);
  const cacheEnd = cacheStart + u(r, 0.3, 2);
  const controllerEnd = cacheEnd + u(r, 0.2, 1) + (r() < 0.15 ? u(r, 5, 30) : 0);
  const caEnd = controllerEnd + u(r, 0.1, 0.4);
  const prClientEnd = caEnd + net();
  const prEnd = prClientEnd + u(r, 0.2, 1);
  const ev2End = prEnd + net();
  const ev3 = ev2End + u(r, 0.1, 0.5);
  const ev3End = ev3 + u(r, 0.1, 0.5);
  const asyncStart = ev3 + u(r, 0.5, 2);
  const asyncEnd = asyncStart + u(r, 1, 5);
  const ev0End = ev3End + u(r, 0.2, 1);
  const orEnd = ev0End + u(r, 0.1, 0.5);
  const sfClientEnd = orEnd + net();
  const sfEnd = sfClientEnd + u(r, 1, 5);
  return {
    hosts,
    storefront: { start: t0, end: sfEnd, clientStart: sfClientStart, clientEnd: sfClientEnd },
    orders: {
      start: orStart,
      end: orEnd,
      events: [
        [ev0, ev0End],
        [ev1, ev1End],
        [ev2, ev2End],
        [ev3, ev3End],
      ],
      async: [asyncStart, asyncEnd],
    },
    inventory: { start: invStart, end: invEnd, check: [check, checkEnd], sql: [sqlStart, sqlEnd] },
    pricing: { start: prStart, end: prEnd, work: [workStart, workEnd], client: [prClient, prClientEnd] },
    catalog: {
      start: caStart,
      end: caEnd,
      controller: [controller, controllerEnd],
      cache: [cacheStart, cacheEnd],
    },
  };
}
