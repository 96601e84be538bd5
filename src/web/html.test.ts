import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, SafeHtml } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = `<script>alert("x")</script>' onmouseover='y`;
    const out = html`<a title="${name}">${name}</a>`.value;
    assert.equal(out.includes('<script>'), false);
    assert.equal(out.includes(`'`), false);
    assert.equal(
      out,
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y</a>',
    );
  });

  it('inserts only what html itself made as markup; arrays join, nothing renders for null/false', () => {
    const items = ['<b>', 'ok'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    const list = html`<ul>${items}${null}${false}${undefined}${0}</ul>`;
    assert.equal(list.value, '<ul><li>&lt;b&gt;</li><li>ok</li>0</ul>');
    assert.ok(html`x` instanceof SafeHtml);
    assert.equal(escapeHtml('&amp;'), '&amp;amp;');
  });
});
