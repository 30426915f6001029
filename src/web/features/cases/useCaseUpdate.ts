// Changing a case (status, priority, team, assignee, tags): one mutation per place that
// changes it, so each shows its own failure.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { casesApi, type CaseDetail, type CaseUpdateBodyInput } from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { keys } from '../../api/queries.js';

/** Changing a case: the answer replaces the case on screen, and case lists refresh. */
export function useCaseUpdate(ref: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CaseUpdateBodyInput) => call(casesApi.update, { params: { ref }, body }),
    onMutate: (body) => {
      // Tags show at once; the server's answer replaces them a moment later.
      if (body.tags) queryClient.setQueryData<CaseDetail>(keys.case(ref), (d) => d && { ...d, tags: body.tags! });
    },
    onSuccess: (next) => {
      queryClient.setQueryData(keys.case(ref), next);
      void queryClient.invalidateQueries({ queryKey: keys.cases });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: keys.case(ref) }),
  });
}
