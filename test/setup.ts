/**
 * Loaded by mocha before every spec (.mocharc.json). Property tests draw their cases from a
 * fixed seed so that a run is reproducible and CI cannot go red by luck; set FC_SEED to
 * explore other cases (a failure prints its seed and path to replay it).
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED === undefined ? 20261129 : Number(process.env.FC_SEED);
fc.configureGlobal({ seed });
