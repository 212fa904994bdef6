#!/usr/bin/env node
// The kubectl plugin `kubectl reset`: the restart plugin asking for nodes/reset (actions.ts).
import { runPlugin } from './plugin-main.js';

runPlugin('reset');
