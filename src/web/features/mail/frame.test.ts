// The email frame's document: its own policy admits no script and no remote image until asked,
// and the height guess follows the content and the frame's width.
import { describe, expect, it } from 'vitest';
import { estimateHeight, frameDocument } from './frame.js';

const policyOf = (doc: string) => /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(doc)?.[1];

describe('an email frame’s document', () => {
  it('puts its policy first, with no script and images from data: only', () => {
    const doc = frameDocument('<p>Hello</p>', { remoteImages: false });
    expect(policyOf(doc)).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'");
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<p>Hello</p>'));
    expect(doc).toContain('<base target="_blank">');
    expect(doc).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('admits remote images only when they were asked for', () => {
    expect(policyOf(frameDocument('', { remoteImages: true }))).toContain('img-src data: https: http:;');
  });
});

describe('the guess at an email’s height', () => {
  const paragraph = `<p>${'word '.repeat(60)}</p>`;
  it('grows with the text and the images, and with less width to wrap in', () => {
    const one = estimateHeight(paragraph, 600);
    expect(estimateHeight(paragraph.repeat(3), 600)).toBeGreaterThan(2.5 * one - 60);
    expect(estimateHeight(paragraph, 360)).toBeGreaterThan(one);
    expect(estimateHeight(`${paragraph}<img src="x" height="200">`, 600)).toBe(one + 200);
  });

  it('counts nested empty blocks as no lines', () => {
    expect(estimateHeight('<div><div><div>Hi</div></div></div>', 600)).toBe(estimateHeight('Hi', 600));
  });
});
