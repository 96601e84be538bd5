import { spanKeys, txText, type RequestContext } from './mixed-fleet-context.ts';
import { otelSpan, otlpLogRequest, otlpTraceRequest } from './mixed-fleet-payloads.ts';

/** storefront (OTel, Node): the entry span, and its call to orders with only a traceparent. */
export function emitStorefront(ctx: RequestContext): void {
  const { ids, time, out } = ctx;
  const host = time.hosts.storefront;
  const at = (ms: number): number => ctx.otelClock(host, ms);
  const traceId = ids.storefrontTrace;
  out.otlpTraces.push(
    otlpTraceRequest('storefront', host, [
      otelSpan({
        traceId,
        spanId: ids.storefrontServer,
        parentSpanId: null,
        name: 'GET /shop/orders/:id',
        kind: 'server',
        startMs: at(time.storefront.start),
        endMs: at(time.storefront.end),
        attributes: {
          'http.request.method': 'GET',
          'url.path': `/shop/orders/${ids.orderId}`,
          'server.address': 'shop.example.com',
          'server.port': 443,
          'http.route': '/shop/orders/:id',
        },
      }),
      otelSpan({
        traceId,
        spanId: ids.storefrontClient,
        parentSpanId: ids.storefrontServer,
        name: 'GET',
        kind: 'client',
        startMs: at(time.storefront.clientStart),
        endMs: at(time.storefront.clientEnd),
        attributes: {
          'http.request.method': 'GET',
          'url.full': `http://orders.internal:8080/api/orders/${ids.orderId}`,
          'server.address': 'orders.internal',
          'server.port': 8080,
        },
      }),
    ]),
  );
  const server = spanKeys.otel(traceId, ids.storefrontServer);
  out.truth.parents[server] = null;
  out.truth.parents[spanKeys.otel(traceId, ids.storefrontClient)] = server;
  const message = `order page ${ids.orderId} ${ctx.marker(0)}`;
  out.otlpLogs.push(
    otlpLogRequest('storefront', host, [
      {
        timeMs: at(time.storefront.start + 0.5),
        level: 'INFO',
        message,
        traceId,
        spanId: ids.storefrontServer,
      },
    ]),
  );
  out.truth.logs[ctx.marker(0)] = server;
}

/**
 * pricing (OTel, Node), called by orders with only Pinpoint headers: it starts a trace of its own, and
 * captures those headers as span attributes when the hop leaves evidence; it calls catalog with only a
 * traceparent.
 */
export function emitPricing(ctx: RequestContext): void {
  const { ids, time, out, plan } = ctx;
  const host = time.hosts.pricing;
  const at = (ms: number): number => ctx.otelClock(host, ms);
  const traceId = ids.pricingTrace;
  const headers =
    plan.ordersToPricing === 'header'
      ? headerAttributes(ctx.state.random, {
          traceid: txText(ids.ordersTx),
          spanid: ids.pricingPinpointSpan.toString(),
          pspanid: ids.ordersSpan.toString(),
          pappname: 'orders',
        })
      : {};
  out.otlpTraces.push(
    otlpTraceRequest('pricing', host, [
      otelSpan({
        traceId,
        spanId: ids.pricingServer,
        parentSpanId: null,
        name: 'POST /price',
        kind: 'server',
        startMs: at(time.pricing.start),
        endMs: at(time.pricing.end),
        attributes: {
          'http.request.method': 'POST',
          'url.path': '/price',
          'server.address': 'pricing.internal',
          'server.port': 3000,
          'http.route': '/price',
          ...headers,
        },
      }),
      otelSpan({
        traceId,
        spanId: ids.pricingWork,
        parentSpanId: ids.pricingServer,
        name: 'compute price',
        kind: 'internal',
        startMs: at(time.pricing.work[0]),
        endMs: at(time.pricing.work[1]),
        attributes: {},
      }),
      otelSpan({
        traceId,
        spanId: ids.pricingClient,
        parentSpanId: ids.pricingServer,
        name: 'GET',
        kind: 'client',
        startMs: at(time.pricing.client[0]),
        endMs: at(time.pricing.client[1]),
        attributes: {
          'http.request.method': 'GET',
          'url.full': `http://catalog.internal:8080/catalog/items/${ids.sku}`,
          'server.address': 'catalog.internal',
          'server.port': 8080,
        },
      }),
    ]),
  );
  const server = spanKeys.otel(traceId, ids.pricingServer);
  const caller = spanKeys.pinpointEvent(ids.ordersTx, ids.ordersSpan, 2);
  out.truth.parents[server] = caller;
  out.truth.parents[spanKeys.otel(traceId, ids.pricingWork)] = server;
  out.truth.parents[spanKeys.otel(traceId, ids.pricingClient)] = server;
  out.truth.hops.push({
    from: 'orders',
    to: 'pricing',
    client: caller,
    server,
    evidence: plan.ordersToPricing,
  });
  const message = `priced order ${ids.orderId} ${ctx.marker(3)}`;
  out.otlpLogs.push(
    otlpLogRequest('pricing', host, [
      { timeMs: at(time.pricing.work[1]), level: 'INFO', message, traceId, spanId: ids.pricingServer },
    ]),
  );
  out.truth.logs[ctx.marker(3)] = server;
}

/** Pinpoint headers as an OTel server captured them: string[] values, `-` or `_` in the names. */
function headerAttributes(random: () => number, headers: Record<string, string>): Record<string, string[]> {
  const sep = random() < 0.5 ? '-' : '_';
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [`http.request.header.pinpoint${sep}${name}`, [value]]),
  );
}
