import { useMutation } from '@tanstack/react-query';

/**
 * A form's action that is not one fixed API call (a sign-in step, a reset): run through react-query
 * like every other write, so `isPending` is the busy flag and `error` the last failure, cleared when
 * the next attempt starts or on `reset()`. The task runs after the submit handler has returned (so
 * `e.currentTarget` is null by then): read the form's values before calling `mutate`.
 */
export function useFormAction() {
  return useMutation({ mutationFn: (task: () => Promise<unknown>) => task() });
}
