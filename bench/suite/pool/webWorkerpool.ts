import workerpool from 'workerpool';
import { task } from './task';

// A workerpool Web Worker of the pool scenario.
workerpool.worker({ task });
