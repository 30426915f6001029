// A case status as a coloured badge that never gets cut off in narrow table cells.
import { Badge } from '@mantine/core';
import { STATUS_LABELS, type Status } from '../../contracts/cases.js';
import { STATUS_COLORS } from '../lib/labels.js';

const noClip = { root: { overflow: 'visible' }, label: { overflow: 'visible' } } as const;

export function StatusBadge({ status }: { status: Status }) {
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} tt="none" styles={noClip}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
