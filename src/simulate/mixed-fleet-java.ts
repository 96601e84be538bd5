import { javaLog, spanKeys, txText, type RequestContext } from './mixed-fleet-context.ts';
import { pinpointChunkMessage, pinpointSpanMessage, type PinpointEventSpec } from './mixed-fleet-payloads.ts';

const SERVICE_METHOD = 1011;
const HTTP_CLIENT = 9052;

/**
 * orders (Pinpoint, Java), called by storefront with only a traceparent: a new transaction, which
 * records that header (Pinpoint's request header annotation) or logs it in an access log when the hop
 * leaves evidence. It calls inventory (Pinpoint: same transaction) and pricing (OTel), and hands audit
 * work to another thread, whose events the agent sends later as a span chunk.
 */
export function emitOrders(ctx: RequestContext): void {
  const { ids, time, out, plan } = ctx;
  const agent = time.hosts.orders;
  const at = (ms: number): number => ctx.pinpointClock(agent, ms);
  const tx = ids.ordersTx;
  const traceparent = `00-${ids.storefrontTrace}-${ids.storefrontClient}-01`;
  const [controller, inventoryCall, pricingCall, submit] = time.orders.events;
  const event = (
    sequence: number,
    [start, end]: [number, number],
    rest: Omit<PinpointEventSpec, 'sequence' | 'startMs' | 'endMs' | 'depth'>,
  ): PinpointEventSpec => ({
    sequence,
    depth: sequence === 0 ? 1 : 2,
    startMs: at(start),
    endMs: at(end),
    ...rest,
  });
  const events = [
    event(0, controller, { api: 'OrderController.get(long)', serviceType: SERVICE_METHOD }),
    event(1, inventoryCall, {
      api: 'RestTemplate.exchange()',
      serviceType: HTTP_CLIENT,
      nextSpanId: ids.inventorySpan,
      destinationId: 'inventory.internal:8080',
      url: `inventory.internal:8080/api/stock/${ids.sku}`,
    }),
    event(2, pricingCall, {
      api: 'RestTemplate.exchange()',
      serviceType: HTTP_CLIENT,
      nextSpanId: ids.pricingPinpointSpan,
      destinationId: 'pricing.internal:3000',
      url: 'pricing.internal:3000/price',
    }),
    event(3, submit, { api: 'AuditPublisher.submit()', serviceType: SERVICE_METHOD, asyncId: 1 }),
  ];
  const span = pinpointSpanMessage({
    transactionId: tx,
    spanId: ids.ordersSpan,
    parentSpanId: null,
    startMs: at(time.orders.start),
    endMs: at(time.orders.end),
    rpc: `/api/orders/${ids.orderId}`,
    endPoint: 'orders.internal:8080',
    remoteAddr: '10.0.1.10',
    ...(plan.storefrontToOrders === 'traceparent' ? { recordedHeaders: { traceparent } } : {}),
    events,
  });
  const [asyncStart, asyncEnd] = time.orders.async;
  const chunk = pinpointChunkMessage({
    transactionId: tx,
    spanId: ids.ordersSpan,
    endPoint: 'orders.internal:8080',
    asyncId: 1,
    keyTimeMs: at(asyncStart),
    events: [
      {
        sequence: 0,
        depth: 1,
        startMs: at(asyncStart),
        endMs: at(asyncEnd),
        api: 'AuditPublisher.publish()',
        serviceType: SERVICE_METHOD,
      },
    ],
  });
  out.pinpoint.push({ agentId: agent, applicationName: 'orders', messages: [span] });
  out.pinpoint.push({ agentId: agent, applicationName: 'orders', messages: [chunk] });

  const server = spanKeys.pinpointSpan(tx, ids.ordersSpan);
  const caller = spanKeys.otel(ids.storefrontTrace, ids.storefrontClient);
  const eventKey = (sequence: number): string => spanKeys.pinpointEvent(tx, ids.ordersSpan, sequence);
  out.truth.parents[server] = caller;
  out.truth.parents[eventKey(0)] = server;
  for (const sequence of [1, 2, 3]) out.truth.parents[eventKey(sequence)] = eventKey(0);
  out.truth.parents[spanKeys.pinpointEvent(tx, ids.ordersSpan, 0, 1)] = eventKey(3);
  out.truth.hops.push({
    from: 'storefront',
    to: 'orders',
    client: caller,
    server,
    evidence: plan.storefrontToOrders,
  });
  out.logstash.push(
    javaLog(ctx, agent, 'orders', time.orders.start + 0.3, `loading order ${ids.orderId} ${ctx.marker(1)}`, {
      mdc: { PtxId: txText(tx), PspanId: ids.ordersSpan.toString() },
      ...(plan.storefrontToOrders === 'log' ? { extra: { traceparent } } : {}),
    }),
  );
  out.truth.logs[ctx.marker(1)] = server;
}

/** inventory (Pinpoint, Java): orders' callee in the same transaction; logs in the text layout. */
export function emitInventory(ctx: RequestContext): void {
  const { ids, time, out } = ctx;
  const agent = 'inventory-01';
  const at = (ms: number): number => ctx.pinpointClock(agent, ms);
  const tx = ids.ordersTx;
  const { check, sql } = time.inventory;
  const span = pinpointSpanMessage({
    transactionId: tx,
    spanId: ids.inventorySpan,
    parentSpanId: ids.ordersSpan,
    startMs: at(time.inventory.start),
    endMs: at(time.inventory.end),
    rpc: `/api/stock/${ids.sku}`,
    endPoint: 'inventory.internal:8080',
    remoteAddr: '10.0.1.11',
    parentApplicationName: 'orders',
    events: [
      {
        sequence: 0,
        depth: 1,
        startMs: at(check[0]),
        endMs: at(check[1]),
        api: 'StockService.check(int)',
        serviceType: SERVICE_METHOD,
      },
      {
        sequence: 1,
        depth: 2,
        startMs: at(sql[0]),
        endMs: at(sql[1]),
        api: 'PreparedStatement.executeQuery()',
        serviceType: 2101,
        destinationId: 'stock-db',
      },
    ],
  });
  out.pinpoint.push({ agentId: agent, applicationName: 'inventory', messages: [span] });
  const server = spanKeys.pinpointSpan(tx, ids.inventorySpan);
  const eventKey = (sequence: number): string => spanKeys.pinpointEvent(tx, ids.inventorySpan, sequence);
  out.truth.parents[server] = spanKeys.pinpointEvent(tx, ids.ordersSpan, 1);
  out.truth.parents[eventKey(0)] = server;
  out.truth.parents[eventKey(1)] = eventKey(0);
  const layout = `[txId : ${txText(tx)} spanId : ${ids.inventorySpan}]`;
  const message = `2026 [INFO](StockService:41) ${layout} stock checked for sku ${ids.sku} ${ctx.marker(2)}`;
  out.logstash.push(javaLog(ctx, agent, 'inventory', sql[1] + 0.1, message));
  out.truth.logs[ctx.marker(2)] = server;
}

/**
 * catalog (Pinpoint, Java), called by pricing with only a traceparent: a new transaction, which
 * records the header or logs it in its access log when the hop leaves evidence.
 */
export function emitCatalog(ctx: RequestContext): void {
  const { ids, time, out, plan } = ctx;
  const agent = 'catalog-01';
  const at = (ms: number): number => ctx.pinpointClock(agent, ms);
  const tx = ids.catalogTx;
  const traceparent = `00-${ids.pricingTrace}-${ids.pricingClient}-01`;
  const { controller, cache } = time.catalog;
  const span = pinpointSpanMessage({
    transactionId: tx,
    spanId: ids.catalogSpan,
    parentSpanId: null,
    startMs: at(time.catalog.start),
    endMs: at(time.catalog.end),
    rpc: `/catalog/items/${ids.sku}`,
    endPoint: 'catalog.internal:8080',
    remoteAddr: '10.0.2.20',
    ...(plan.pricingToCatalog === 'traceparent' ? { recordedHeaders: { traceparent } } : {}),
    events: [
      {
        sequence: 0,
        depth: 1,
        startMs: at(controller[0]),
        endMs: at(controller[1]),
        api: 'CatalogController.item(int)',
        serviceType: SERVICE_METHOD,
      },
      {
        sequence: 1,
        depth: 2,
        startMs: at(cache[0]),
        endMs: at(cache[1]),
        api: 'Jedis.get()',
        serviceType: 8200,
        destinationId: 'redis',
      },
    ],
  });
  out.pinpoint.push({ agentId: agent, applicationName: 'catalog', messages: [span] });
  const server = spanKeys.pinpointSpan(tx, ids.catalogSpan);
  const caller = spanKeys.otel(ids.pricingTrace, ids.pricingClient);
  const eventKey = (sequence: number): string => spanKeys.pinpointEvent(tx, ids.catalogSpan, sequence);
  out.truth.parents[server] = caller;
  out.truth.parents[eventKey(0)] = server;
  out.truth.parents[eventKey(1)] = eventKey(0);
  out.truth.hops.push({
    from: 'pricing',
    to: 'catalog',
    client: caller,
    server,
    evidence: plan.pricingToCatalog,
  });
  out.logstash.push(
    javaLog(ctx, agent, 'catalog', time.catalog.end, `GET /catalog/items/${ids.sku} 200 ${ctx.marker(4)}`, {
      mdc: { PtxId: txText(tx), PspanId: ids.catalogSpan.toString() },
      ...(plan.pricingToCatalog === 'log' ? { extra: { traceparent } } : {}),
    }),
  );
  out.truth.logs[ctx.marker(4)] = server;
}
