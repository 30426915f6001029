// A failed request in words: the server's own message, or a plain one when it gave none.
import { Alert } from '@mantine/core';
import { ApiError } from '../api/client.js';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

export function ErrorAlert({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} variant="light">
      {errorText(error)}
    </Alert>
  );
}
