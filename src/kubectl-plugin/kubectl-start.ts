#!/usr/bin/env node
// The kubectl plugin `kubectl start`: the restart plugin asking for nodes/start (actions.ts).
import { runPlugin } from './plugin-main.js';

runPlugin('start');
