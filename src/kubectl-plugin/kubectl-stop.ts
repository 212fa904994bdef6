#!/usr/bin/env node
// The kubectl plugin `kubectl stop`: the restart plugin asking for nodes/stop (actions.ts).
import { runPlugin } from './plugin-main.js';

runPlugin('stop');
