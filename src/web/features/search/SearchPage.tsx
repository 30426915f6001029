// Search results for cases and patrons, matched words marked; filters combine with the query.
// A reference or an email that names one thing jumps straight there.
import { useEffect, useState } from 'react';
import { Badge, Button, Group, Loader, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { STATUSES, STATUS_LABELS } from '../../../contracts/cases.js';
import { searchApi } from '../../../contracts/search.js';
import { call } from '../../api/client.js';
import { useTeams } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Segments } from '../../components/Segments.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { AnchorLink } from '../../components/links.js';
import { validateSearchSearch } from './params.js';
import { useArrivalFocus } from '../../lib/focus.js';

export function SearchPage() {
  const search = useSearch({ from: '/app/search' });
  const navigate = useNavigate();
  const teams = useTeams();
  const q = search.q?.trim() ?? '';
  useDocumentTitle(q ? `Search: ${q} · Servewell` : 'Search · Servewell');

  // As you type: the box's text reaches the address (and the query) 250 ms after the last key;
  // each answer is kept under its own query, so an older one never replaces a newer one.
  const [text, setText] = useState(q);
  const [typed] = useDebouncedValue(text.trim(), 250);
  // A query that comes from elsewhere (the header's box, Enter, the address) replaces the text,
  // and may jump straight to the one case or patron it names; a query typed here never jumps
  // (typing SW-12 must not open SW-1 on the way).
  const [seen, setSeen] = useState(q);
  const [jumpFor, setJumpFor] = useState<string | null>(q || null);
  if (q !== seen) {
    setSeen(q);
    if (q !== typed) {
      setText(q);
      setJumpFor(q);
    }
  }
  useEffect(() => {
    if (typed === q) return;
    void navigate({ to: '/search', search: (s) => validateSearchSearch({ ...s, q: typed || undefined }), replace: true });
  }, [typed, q, navigate]);
  const headingRef = useArrivalFocus<HTMLHeadingElement>(jumpFor);
  const filters = { status: search.status, teamId: search.teamId, from: search.from, to: search.to };
  const results = useInfiniteQuery({
    queryKey: ['search', q, filters],
    queryFn: ({ pageParam }) => call(searchApi.search, { query: { q, ...filters, offset: pageParam, limit: 20 } }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextOffset ?? undefined,
    enabled: q.length > 0,
  });

  const found = results.data?.pages[0]?.direct ?? null;
  const direct = found && jumpFor === q ? found : null;
  useEffect(() => {
    if (!direct) return;
    if (direct.kind === 'case') void navigate({ to: '/cases/$ref', params: { ref: direct.ref }, replace: true });
    else void navigate({ to: '/patrons/$id', params: { id: String(direct.id) }, replace: true });
  }, [direct, navigate]);

  const setFilter = (patch: Record<string, string | undefined>) =>
    void navigate({ to: '/search', search: validateSearchSearch({ ...search, ...patch }), replace: true });

  const cases = results.data?.pages.flatMap((p) => p.cases) ?? [];
  const patrons = results.data?.pages.flatMap((p) => p.patrons) ?? [];

  return (
    <Stack gap="md">
      <Title order={1} ref={headingRef} tabIndex={-1}>{q ? `Search results for “${q}”` : 'Search'}</Title>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const term = text.trim();
          setJumpFor(term || null);
          setFilter({ q: term || undefined });
        }}
      >
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            name="q"
            label="Search for"
            type="search"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            description="Results follow as you type; Enter opens a reference"
            w={260}
          />
          <NativeSelect
            label="Status"
            value={search.status ?? ''}
            onChange={(e) => setFilter({ status: e.currentTarget.value || undefined })}
            data={[{ value: '', label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
          />
          <NativeSelect
            label="Team"
            value={search.teamId ? String(search.teamId) : ''}
            onChange={(e) => setFilter({ teamId: e.currentTarget.value || undefined })}
            data={[{ value: '', label: 'Any team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
          />
          <TextInput label="From" type="date" value={search.from ?? ''} onChange={(e) => setFilter({ from: e.currentTarget.value || undefined })} />
          <TextInput label="To" type="date" value={search.to ?? ''} onChange={(e) => setFilter({ to: e.currentTarget.value || undefined })} />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {!q && <Text>Type words, a case reference (like SW-1042), a name, an email or a phone number.</Text>}
      <ErrorAlert error={results.error} title="Search failed" />
      {q && results.isPending && <Loader aria-label="Searching" />}
      {found && !direct && (
        <Text>
          {found.kind === 'case' ? (
            <AnchorLink to="/cases/$ref" params={{ ref: found.ref }} fw={500}>
              Open case {found.ref}
            </AnchorLink>
          ) : (
            <AnchorLink to="/patrons/$id" params={{ id: String(found.id) }} fw={500}>
              Open this patron
            </AnchorLink>
          )}
        </Text>
      )}
      {results.data && !direct && (
        <>
          <section aria-labelledby="case-results">
            <Title order={2} size="h3" id="case-results" mb="xs">
              Cases
            </Title>
            {cases.length === 0 ? (
              <Text size="sm">No cases match.</Text>
            ) : (
              <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {cases.map((hit) => (
                  <Paper key={hit.case.id} component="li" withBorder p="sm">
                    <Group gap="xs" wrap="wrap">
                      <Text ff="monospace" size="sm">
                        {hit.case.ref}
                      </Text>
                      <AnchorLink to="/cases/$ref" params={{ ref: hit.case.ref }} fw={500}>
                        <Segments parts={hit.subject} />
                      </AnchorLink>
                      <StatusBadge status={hit.case.status} />
                      {hit.case.patron && <Text size="sm">{hit.case.patron.name}</Text>}
                    </Group>
                    {hit.snippet.length > 0 && (
                      <Text size="sm" mt={4}>
                        <Segments parts={hit.snippet} />
                      </Text>
                    )}
                  </Paper>
                ))}
              </Stack>
            )}
          </section>
          <section aria-labelledby="patron-results">
            <Title order={2} size="h3" id="patron-results" mb="xs">
              Patrons
            </Title>
            {patrons.length === 0 ? (
              <Text size="sm">No patrons match.</Text>
            ) : (
              <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {patrons.map((hit) => (
                  <Paper key={hit.patron.id} component="li" withBorder p="sm">
                    <Group gap="xs">
                      <AnchorLink to="/patrons/$id" params={{ id: String(hit.patron.id) }} fw={500}>
                        <Segments parts={hit.name} />
                      </AnchorLink>
                      {/* Email and phone once, with the matched words marked. */}
                      {hit.contact.length > 0 && (
                        <Text size="sm">
                          <Segments parts={hit.contact} />
                        </Text>
                      )}
                      {hit.fromPersonalNote && (
                        <Badge size="sm" color="orange" variant="light" c="dark" tt="none">
                          Matched a personal note
                        </Badge>
                      )}
                    </Group>
                    {hit.snippet.length > 0 && (
                      <Text size="sm" mt={4}>
                        <Segments parts={hit.snippet} />
                      </Text>
                    )}
                  </Paper>
                ))}
              </Stack>
            )}
          </section>
          {results.hasNextPage && (
            <Button variant="default" w="fit-content" loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
              More results
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
