#!/usr/bin/env node
// The kubectl plugin `kubectl restart` (installed as kubectl-restart by the package's bin, or by krew).
import { runPlugin } from './plugin-main.js';

runPlugin('restart');
