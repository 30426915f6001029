// Tags on a case: the current ones with a remove button each, and a box where Enter adds one.
import { useState } from 'react';
import { Badge, CloseButton, Group, Stack, TextInput } from '@mantine/core';

interface Props {
  tags: string[];
  /** Returns false when the new tags were refused: the typed tag stays to be corrected. */
  onChange: (tags: string[]) => boolean | void;
  disabled?: boolean;
  id?: string;
  error?: string | undefined;
}

export function TagEditor({ tags, onChange, disabled, id, error }: Props) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const t = draft.trim().toLowerCase();
    if (t && !tags.includes(t) && onChange([...tags, t]) === false) return;
    setDraft('');
  };
  return (
    <Stack gap={6}>
      <TextInput
        id={id}
        error={error}
        label="Tags"
        description="Type a tag and press Enter"
        value={draft}
        maxLength={40}
        disabled={disabled}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          } else if (e.key === 'Backspace' && !draft && tags.length) {
            onChange(tags.slice(0, -1));
          }
        }}
      />
      {tags.length > 0 && (
        <Group gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Current tags">
          {tags.map((t) => (
            <li key={t}>
              <Badge
                variant="light"
                color="gray"
                c="dark"
                tt="none"
                size="lg"
                pr={2}
                rightSection={
                  <CloseButton size={24} aria-label={`Remove tag ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))} />
                }
              >
                {t}
              </Badge>
            </li>
          ))}
        </Group>
      )}
    </Stack>
  );
}
