// Choosing the road an answer takes, with what each road means where it is chosen: Seth Godin's
// four roads we call customer service (seed 000), in the desk's words.
import { Anchor, NativeSelect, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { ROADS, ROAD_LABELS, type Road } from '../../contracts/cases.js';

export const ROAD_MEANINGS: Record<Road, string> = {
  learn: 'We learn from what they tell us and make things better.',
  care: 'An important patron: we bring empathy and care to strengthen the relationship.',
  teach: 'We teach them something that makes things better for them.',
  redirect: 'Not ours to help with: we point them elsewhere.',
};

interface Props {
  id?: string;
  error?: string | undefined;
  value: Road | '';
  onChange: (road: Road | '') => void;
}

export function RoadSelect({ id, error, value, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <div>
      <NativeSelect
        id={id}
        error={error}
        label="Road"
        description={value ? ROAD_MEANINGS[value] : 'Which of the four roads this contact took (optional)'}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value as Road | '')}
        data={[{ value: '', label: 'No road' }, ...ROADS.map((r) => ({ value: r, label: ROAD_LABELS[r] }))]}
      />
      <Anchor component="button" type="button" size="xs" mt={4} aria-expanded={open} aria-controls={listId} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide the four roads' : 'What are the roads?'}
      </Anchor>
      {open && (
        <dl id={listId} className="road-list">
          {ROADS.map((r) => (
            <div key={r}>
              <Text component="dt" size="xs" fw={700}>
                {ROAD_LABELS[r]}
              </Text>
              <Text component="dd" size="xs" m={0}>
                {ROAD_MEANINGS[r]}
              </Text>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
