// The tiny protocol between the supervisor and child-preload.js, kept apart so that importing
// it never runs the preload's side effects in the handler process.

/** Env var telling the preload which file descriptor to report on. */
export const WORK_FD_ENV = 'HANDLER_CHILD_WORK_FD';
/** The descriptor: the fourth stdio entry of the spawned LibreChat process. */
export const WORK_FD = 3;
/** Socket activity is reported at most this often (and at most this late). */
export const ACTIVITY_REPORT_MS = 10;
