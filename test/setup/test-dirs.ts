// Removes the directories a test file made with testDir (test/support/test-dirs.ts) once it is done:
// a setup file's afterAll runs after the file's own, which stop the nodes that wrote there.
import { afterAll } from 'vitest';
import { releaseTestDirs } from '../support/test-dirs.ts';

interface TaskLike {
  readonly result?: { readonly state?: string };
  readonly tasks?: readonly TaskLike[];
}

const failed = (t: TaskLike): boolean => t.result?.state === 'fail' || (t.tasks ?? []).some(failed);

// Vitest reads a hook's first parameter as a fixture pattern, which must be a destructuring one.
// eslint-disable-next-line no-empty-pattern
afterAll(async ({}, file) => {
  await releaseTestDirs(failed(file));
});
