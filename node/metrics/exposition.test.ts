import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { CONTENT_TYPE, MetricNameError, renderMetrics } from './exposition.ts';
import { MetricsServer } from './server.ts';

describe('Prometheus text format', () => {
  it('writes HELP and TYPE once per family and one line per sample, escaping label values', () => {
    const text = renderMetrics([
      { name: 'cairn_app_height', help: 'Last committed height.', type: 'gauge', samples: [{ value: 12n }] },
      {
        name: 'cairn_p2p_messages_total',
        help: 'Judged messages\nby result.',
        type: 'counter',
        samples: [
          { labels: { result: 'accepted' }, value: 3 },
          { labels: { result: 'say "hi"\\' }, value: 0 },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP cairn_app_height Last committed height.',
        '# TYPE cairn_app_height gauge',
        'cairn_app_height 12',
        '# HELP cairn_p2p_messages_total Judged messages\\nby result.',
        '# TYPE cairn_p2p_messages_total counter',
        'cairn_p2p_messages_total{result="accepted"} 3',
        'cairn_p2p_messages_total{result="say \\"hi\\"\\\\"} 0',
        '',
      ].join('\n'),
    );
  });

  it('refuses a metric or label name Prometheus would not parse', () => {
    expect(() => renderMetrics([{ name: 'cairn-height', help: '', type: 'gauge', samples: [] }])).toThrow(MetricNameError);
    expect(() => renderMetrics([{ name: 'x', help: '', type: 'gauge', samples: [{ labels: { '1a': 'v' }, value: 1 }] }])).toThrow(MetricNameError);
  });

  it('serves GET /metrics on 127.0.0.1 with the 0.0.4 content type, 404 elsewhere, and stops', async () => {
    let scrapes = 0;
    const server = new MetricsServer({ host: '127.0.0.1', port: 0, logger: silentLogger, collect: () => [{ name: 'scrapes_total', help: 'Scrapes.', type: 'counter', samples: [{ value: ++scrapes }] }] });
    await server.start();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const r = await fetch(server.url);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(CONTENT_TYPE);
      expect(await r.text()).toContain('scrapes_total 1\n');
      expect((await fetch(server.url)).status).toBe(200);
      expect(scrapes).toBe(2);
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.stop();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
