import { expose } from '../../../src/node/index';
import { taskApi } from './task';

// A portwire worker thread of the pool scenario (the pool's and the single worker's).
expose(taskApi);
