// Administration: users, teams, the organization's settings, the audit log and jobs. Admins only.
import { Alert, Stack, Tabs, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useSession } from '../../api/queries.js';
import { AuditTab } from './AuditTab.js';
import { JobsTab } from './JobsTab.js';
import { MailTab } from '../mail/MailTab.js';
import { OrganizationTab } from './OrganizationTab.js';
import { TeamsTab } from './TeamsTab.js';
import { UsersTab } from './UsersTab.js';

export function AdminPage() {
  useDocumentTitle('Admin · Servewell');
  const { user } = useSession();
  if (user.role !== 'admin') {
    return (
      <Stack>
        <Title order={1}>Admin</Title>
        <Alert color="red" title="You cannot open this page (403)">
          Only admins can manage users, teams and the organization. Ask an admin if you need a change.
        </Alert>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <Title order={1}>Admin</Title>
      <Tabs defaultValue="users" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users">Users</Tabs.Tab>
          <Tabs.Tab value="teams">Teams</Tabs.Tab>
          <Tabs.Tab value="organization">Organization</Tabs.Tab>
          <Tabs.Tab value="audit">Audit log</Tabs.Tab>
          <Tabs.Tab value="jobs">Jobs</Tabs.Tab>
          <Tabs.Tab value="mail">Email</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersTab />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="md">
          <TeamsTab />
        </Tabs.Panel>
        <Tabs.Panel value="organization" pt="md">
          <OrganizationTab />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTab />
        </Tabs.Panel>
        <Tabs.Panel value="jobs" pt="md">
          <JobsTab />
        </Tabs.Panel>
        <Tabs.Panel value="mail" pt="md">
          <MailTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
