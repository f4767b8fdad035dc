/**
 * A worker thread of ./threads.ts: bound to the pool's shared buffers, it computes the spans
 * the main thread posts during each pass it is told about.
 */
import { parentPort } from 'node:worker_threads';
import { BoardWorker, holdNextSpan, type WorkerMessage } from './threads';

let bound: BoardWorker | null = null;

parentPort?.on('message', (m: WorkerMessage) => {
  if (m.kind === 'run') {
    bound?.run(m.generation);
    return;
  }
  if (m.kind === 'hold') {
    holdNextSpan(m.ms, m.pass);
    return;
  }
  bound?.dispose();
  bound = m.kind === 'bind' ? new BoardWorker(m.board, m.x) : null;
});
