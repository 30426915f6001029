// One term and its value in a description list (<dl>): case details, patron profile.
import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

export function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" size="sm" fw={600}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </>
  );
}
