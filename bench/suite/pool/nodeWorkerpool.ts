import workerpool from 'workerpool';
import { task } from './task';

// A workerpool worker thread of the pool scenario.
workerpool.worker({ task });
