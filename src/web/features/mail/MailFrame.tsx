// An email's HTML (sanitized by the server) in a frame that runs nothing and reaches nothing:
// sandboxed with no scripts and its own opaque origin, a policy of its own inside the document,
// links opening in a new tab. Being a sandbox, it cannot be measured from outside: its height is
// guessed from the content, and it scrolls inside and offers "Show all" when it holds more.
import { useState } from 'react';
import { Button, Stack } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { mailApi } from '../../../contracts/mail.js';
import { callForBytes } from '../../api/client.js';
import { estimateHeight, FRAME_ALL_MAX, FRAME_MAX, FRAME_MIN, frameDocument } from './frame.js';

/** How the server's HTML points at an inline image (`mailApi.inlineImage`, by content hash). */
const INLINE_IMAGE = /src="\/api\/mail\/blobs\/([0-9a-f]{64})"/g;
/** Larger inline images are left out of the frame rather than copied into it. */
const INLINE_MAX_BYTES = 8 * 1024 * 1024;

async function asDataUrl(sha256: string): Promise<string> {
  const blob = await callForBytes(mailApi.inlineImage, { params: { sha256 } });
  if (blob.size > INLINE_MAX_BYTES) throw new Error('too large to show inline');
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable image'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The HTML with its inline (cid:) images as data: URLs, or null while they load. A sandboxed
 * frame's origin is opaque, so its requests to the desk go without the session cookie: the desk
 * fetches the images itself and hands them over. (Cached, and shared by every frame on the page.)
 */
export function useInlineImages(html: string): string | null {
  const hashes = [...new Set([...html.matchAll(INLINE_IMAGE)].map((m) => m[1]!))];
  const images = useQueries({
    queries: hashes.map((sha256) => ({ queryKey: ['mail', 'inline-image', sha256], queryFn: () => asDataUrl(sha256), staleTime: Infinity, gcTime: 10 * 60_000, retry: 1 })),
  });
  if (images.some((q) => q.isPending)) return null;
  const byHash = new Map(hashes.map((sha256, i) => [sha256, images[i]?.data]));
  // One that failed keeps an empty src: the frame shows its alt text, and asks nothing of the desk.
  return html.replace(INLINE_IMAGE, (_m, sha256: string) => `src="${byHash.get(sha256) ?? ''}"`);
}

export function MailFrame({ html, title, remoteImages = false }: { html: string; title: string; remoteImages?: boolean }) {
  const [all, setAll] = useState(false);
  const ready = useInlineImages(html);
  const { ref, width } = useElementSize<HTMLDivElement>();
  // Before the first layout the width is 0: guess for a desk's column until it is known.
  const estimate = estimateHeight(html, width || 600);
  const long = estimate > FRAME_MAX;
  const height = all ? Math.min(Math.round(estimate * 1.1), FRAME_ALL_MAX) : Math.max(FRAME_MIN, Math.min(estimate, FRAME_MAX));
  return (
    <Stack gap={4} align="flex-start" ref={ref}>
      {ready === null ? (
        <div className="mail-frame mail-frame-loading" style={{ height }} aria-busy="true" />
      ) : (
        <iframe
          className="mail-frame"
          title={title}
          // Never allow-scripts or allow-same-origin: popups only, so that links open (unsandboxed) in a new tab.
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          srcDoc={frameDocument(ready, { remoteImages })}
          style={{ height }}
        />
      )}
      {long && (
        <Button size="xs" variant="subtle" onClick={() => setAll((v) => !v)}>
          {all ? 'Show less' : 'Show all'}
        </Button>
      )}
    </Stack>
  );
}
