// A moment shown in the organization's zone: relative words, the exact time in the tooltip.
import { ago, formatters, useNow, type Place } from '../lib/format.js';

export function When({ ms, place, relative = true }: { ms: number; place: Place; relative?: boolean }) {
  const now = useNow();
  const exact = formatters(place).dateTime(ms);
  const iso = new Date(ms).toISOString();
  if (!relative) return <time dateTime={iso}>{exact}</time>;
  return (
    <time dateTime={iso} title={exact}>
      {ago(ms, now)}
    </time>
  );
}
