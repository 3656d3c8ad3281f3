#!/usr/bin/env node
import { faces } from './lifeboat/index.js';
await faces.cli();
