/**
 * What `run` throws, for assertions on a thrown error's class and fields; fails the test
 * when `run` returns instead.
 */
export function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}
