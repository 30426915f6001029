// A keyset-paged list shown as a table, or as a list of cards below a breakpoint: loading,
// empty and error states, "Load more" (focus moves to the first new row), and, for a screen's
// main list, j/k to move between rows and Enter or o to open one.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Loader, Paper, Stack, Table, Text, VisuallyHidden, useMantineTheme, type MantineBreakpoint } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { KeysetList } from '../api/keyset.js';
import { useShortcuts, type Bindings } from '../lib/shortcuts.js';
import { ErrorAlert } from './ErrorAlert.js';
import { hasInteracted } from '../lib/focus.js';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The column that names the row (usually its link): a card's title on a phone. */
  primary?: boolean;
  /** Left out of the cards (a detail the phone can do without). */
  hideInCard?: boolean;
  nowrap?: boolean;
}

interface Props<T> {
  /** What the list is, for assistive technology ("Cases", "Audit log"). */
  label: string;
  columns: Column<T>[];
  list: KeysetList<T>;
  rowKey: (row: T) => string | number;
  empty: ReactNode;
  loadingLabel: string;
  errorTitle?: string;
  /** j/k move between rows, Enter or o opens the row: for the main list of a screen. */
  onOpen?: (row: T) => void;
  /** Below this width the table becomes a list of cards. */
  cardsBelow?: MantineBreakpoint;
  minWidth?: number;
  striped?: boolean;
  /**
   * Remembers the row last focused under this name; coming back to the list (the queue after a
   * case) focuses that row again instead of the top of the page.
   */
  rememberAs?: string;
}

const remembered = new Map<string, string | number>();

const FOCUSABLE = 'a[href], button:not([disabled]), [tabindex="0"]';

/** Focus a row's first link or button (its name), and bring it into view. */
function focusRow(rows: Map<number, HTMLElement>, i: number) {
  const row = rows.get(i);
  (row?.querySelector<HTMLElement>(FOCUSABLE) ?? row)?.focus();
  row?.scrollIntoView({ block: 'nearest' });
}

export function DataTable<T>(props: Props<T>) {
  const { label, columns, list, rowKey, empty, loadingLabel, errorTitle, onOpen, cardsBelow = 'sm', minWidth, striped, rememberAs } =
    props;
  const theme = useMantineTheme();
  const narrow = useMediaQuery(`(max-width: calc(${theme.breakpoints[cardsBelow]} - 1px))`, false, {
    getInitialValueInEffect: false,
  });
  const rows = useRef(new Map<number, HTMLElement>());
  const [active, setActive] = useState(-1);
  const focusFrom = useRef<number | null>(null);
  const [loaded, setLoaded] = useState('');
  const { items } = list;

  // After "Load more", carry on reading at the first new row.
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || items.length <= from) return;
    focusFrom.current = null;
    setActive(from);
    focusRow(rows.current, from);
    setLoaded(`${items.length} shown`);
  }, [items.length]);

  // Back from a case: focus the row it was opened from (once, when the rows are there).
  const restored = useRef(false);
  useEffect(() => {
    if (!rememberAs || restored.current || !items.length) return;
    restored.current = true;
    const key = remembered.get(rememberAs);
    const i = key === undefined || !hasInteracted() ? -1 : items.findIndex((r) => rowKey(r) === key);
    if (i >= 0) focusRow(rows.current, i); // the row's onFocus makes it the active one
  }, [items, rememberAs, rowKey]);

  const bindings = useMemo((): Bindings => {
    if (!onOpen) return {};
    const move = (by: number) => {
      if (!items.length) return;
      const next = Math.max(0, Math.min(items.length - 1, active + by));
      setActive(next);
      focusRow(rows.current, next);
    };
    const open = () => {
      const row = items[active];
      if (row) onOpen(row);
    };
    return {
      j: () => move(1),
      k: () => move(-1),
      o: () => (active >= 0 ? open() : false),
      // Enter on a focused link or button already does the right thing.
      Enter: (e: KeyboardEvent) => (e.target === document.body && active >= 0 ? open() : false),
    };
  }, [active, items, onOpen]);
  useShortcuts(bindings, Boolean(onOpen));

  const rowRef = (i: number) => (el: HTMLElement | null) => {
    if (el) rows.current.set(i, el);
    else rows.current.delete(i);
  };
  const rowEvents = (i: number) => ({
    onFocus: () => {
      setActive(i);
      if (rememberAs && items[i] !== undefined) remembered.set(rememberAs, rowKey(items[i]));
    },
    'data-active': onOpen ? i === active : undefined,
  });

  if (list.isPending) return <Loader aria-label={loadingLabel} />;
  if (list.error && !items.length) return <ErrorAlert error={list.error} title={errorTitle} />;
  if (!items.length) {
    return (
      <Alert color="gray" variant="light" role="status">
        {empty}
      </Alert>
    );
  }

  const primary = columns.find((c) => c.primary) ?? columns[0];
  return (
    <Stack gap="sm">
      {narrow ? (
        <Stack component="ul" gap="xs" aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((row, i) => (
            <Paper component="li" key={rowKey(row)} withBorder p="sm" className="data-row" ref={rowRef(i)} {...rowEvents(i)}>
              {primary && <div>{primary.cell(row)}</div>}
              <dl className="data-card-terms">
                {columns
                  .filter((c) => c !== primary && !c.hideInCard)
                  .map((c) => (
                    <div key={c.key}>
                      <Text component="dt" size="xs" c="dimmed">
                        {c.header}
                      </Text>
                      <Text component="dd" size="sm" m={0}>
                        {c.cell(row)}
                      </Text>
                    </div>
                  ))}
              </dl>
            </Paper>
          ))}
        </Stack>
      ) : (
        // A region that scrolls sideways must be reachable by keyboard to be scrolled (axe:
        // scrollable-region-focusable), and says what it holds.
        <div className="data-scroll" role="region" aria-label={label} tabIndex={0}>
          <Table
            highlightOnHover={Boolean(onOpen)}
            striped={striped}
            verticalSpacing="xs"
            aria-label={label}
            style={minWidth ? { minWidth } : undefined}
          >
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.key} scope="col">
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((row, i) => (
                <Table.Tr key={rowKey(row)} className="data-row" ref={rowRef(i)} {...rowEvents(i)}>
                  {columns.map((c) => (
                    <Table.Td key={c.key} style={c.nowrap ? { whiteSpace: 'nowrap' } : undefined}>
                      {c.cell(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {list.error ? <ErrorAlert error={list.error} title={errorTitle ?? 'Could not load the list'} /> : null}
      {list.hasMore && (
        <Button
          variant="default"
          w="fit-content"
          loading={list.isLoadingMore}
          onClick={() => {
            focusFrom.current = items.length;
            list.loadMore();
          }}
        >
          Load more
        </Button>
      )}
      <VisuallyHidden aria-live="polite">{loaded}</VisuallyHidden>
    </Stack>
  );
}
