import { expose } from '../../../src/index';
import { taskApi } from './task';

// A portwire Web Worker of the pool scenario (the pool's and the single worker's).
expose(taskApi);
