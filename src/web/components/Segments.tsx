// Search highlights: plain text pieces, the matched ones in <mark>. Never rendered as HTML.
import type { Highlighted } from '../../contracts/search.js';

export function Segments({ parts }: { parts: Highlighted }) {
  return (
    <>
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
