#!/usr/bin/env node
// The bundle (see bundle.mjs): the same code as dist/main.js, loaded in a third of the time.
import { main } from '../dist/bundle/masthead.js'

process.exitCode = await main(process.argv.slice(2))
