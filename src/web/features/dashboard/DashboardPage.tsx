// The dashboard: for now, how the organization and each of its teams kept their promises over a
// period. A team measure, never a ranking: teams in name order, no person named, and a team
// with nothing settled says so rather than showing 0%.
import {
  ColorSwatch,
  Group,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { promisesApi, type KeptRate } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { useSession, useTeams } from '../../api/queries.js';
import { AnchorLink } from '../../components/links.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatters } from '../../lib/format.js';
import { promiseKeys } from '../promises/keys.js';
import { TEAM_PROMISE_ROLES } from '../promises/feature.js';
import { PeriodPicker, usePeriod } from '../promises/PeriodPicker.js';
import type { Period } from '../promises/period.js';

export function DashboardPage() {
  const { user, org } = useSession();
  const seesTeams = (TEAM_PROMISE_ROLES as readonly string[]).includes(user.role);
  const periodState = usePeriod('30d');
  const { period } = periodState;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Dashboard
      </Title>
      <Stack component="section" aria-labelledby="kept-heading" gap="md">
        <div>
          <Title order={2} size="h3" id="kept-heading">
            Promises kept
          </Title>
          <Text c="dimmed" maw="48rem">
            How we keep our word to patrons: the promises that fell due in the period, kept on time,
            kept late or not kept. It is a measure of how each team keeps its word together, not a
            ranking of teams or of people.
          </Text>
        </div>

        <PeriodPicker state={periodState} />

        {period && (
          <>
            <RateCard
              scope="org"
              title={org.name}
              subtitle="The whole organization"
              period={period}
              order={3}
            />
            {seesTeams ? (
              <TeamRates period={period} />
            ) : (
              <Text>
                Your own promises kept are on <AnchorLink to="/promises">My promises</AnchorLink>.
              </Text>
            )}
          </>
        )}
      </Stack>
    </Stack>
  );
}

function TeamRates({ period }: { period: Period }) {
  const { org } = useSession();
  const teams = useTeams();
  // By name, always: the order never says which team did better.
  const collator = new Intl.Collator(org.locale);
  const byName = [...teams].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
  return (
    <Stack component="section" aria-labelledby="teams-heading" gap="sm">
      <Title order={3} size="h4" id="teams-heading">
        Teams
      </Title>
      <Text size="sm" c="dimmed">
        In order of name.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {byName.map((t) => (
          <RateCard key={t.id} scope="team" id={t.id} title={t.name} period={period} order={4} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function RateCard({
  scope,
  id,
  title,
  subtitle,
  period,
  order,
}: {
  scope: 'org' | 'team';
  id?: number;
  title: string;
  subtitle?: string;
  period: Period;
  order: 3 | 4;
}) {
  const q = useQuery({
    queryKey: promiseKeys.rate(scope, id ?? null, period.from, period.to),
    queryFn: () =>
      call(promisesApi.keptRate, {
        query: { scope, ...(id !== undefined ? { id } : {}), from: period.from, to: period.to },
      }),
    placeholderData: (previous) => previous,
  });
  const headingId = `rate-${scope}-${id ?? 'org'}`;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      aria-busy={q.isFetching}
      style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}
    >
      <Stack gap={6}>
        <div>
          <Title order={order} size="h5" id={headingId}>
            {title}
          </Title>
          {subtitle && (
            <Text size="sm" c="dimmed">
              {subtitle}
            </Text>
          )}
        </div>
        <ErrorAlert error={q.error} title="These figures could not be loaded" />
        {q.isPending && <Loader size="sm" aria-label={`Loading the figures for ${title}`} />}
        {q.data && <Figures rate={q.data} />}
      </Stack>
    </Paper>
  );
}

function Figures({ rate }: { rate: KeptRate }) {
  const { org } = useSession();
  const settled = rate.kept + rate.keptLate + rate.broken;
  if (!settled || rate.onTimeRate === null || rate.keptRate === null) {
    return <Text c="dimmed">No promises fell due in this period.</Text>;
  }
  const pct = new Intl.NumberFormat(org.locale, { style: 'percent', maximumFractionDigits: 0 });
  const n = formatters(org).number;
  return (
    <>
      <Group gap="lg" style={{ rowGap: 0 }}>
        <Text>
          <Text span fw={700} size="xl">
            {pct.format(rate.onTimeRate)}
          </Text>{' '}
          kept on time
        </Text>
        <Text>
          <Text span fw={700} size="xl">
            {pct.format(rate.keptRate)}
          </Text>{' '}
          kept at all
        </Text>
      </Group>
      {/* The counts of the sentence below, drawn; screen readers read the words. */}
      <Progress.Root size="lg" aria-hidden="true">
        <Progress.Section value={(rate.kept / settled) * 100} color={COLORS.kept} />
        <Progress.Section value={(rate.keptLate / settled) * 100} color={COLORS.keptLate} />
        <Progress.Section value={(rate.broken / settled) * 100} color={COLORS.broken} />
      </Progress.Root>
      <Text size="sm">
        <Swatch color={COLORS.kept} />
        {n(rate.kept)} on time, <Swatch color={COLORS.keptLate} />
        {n(rate.keptLate)} late, <Swatch color={COLORS.broken} />
        {n(rate.broken)} not kept
        <Text span c="dimmed" size="sm">
          {' '}
          (of {n(settled)} that fell due)
        </Text>
      </Text>
    </>
  );
}

/** The bar's colours, with a swatch before each count as its legend. */
const COLORS = { kept: 'teal.7', keptLate: 'yellow.5', broken: 'red.7' } as const;

function Swatch({ color }: { color: string }) {
  return (
    <ColorSwatch
      component="span"
      color={`var(--mantine-color-${color.replace('.', '-')})`}
      size={10}
      mr={4}
      withShadow={false}
      aria-hidden="true"
      style={{ display: 'inline-block', verticalAlign: 'baseline' }}
    />
  );
}
