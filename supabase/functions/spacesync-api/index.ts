// spacesync Edge Function spacesync-api (spacesync 0.1.0), written by `spacesync supabase install` from
// src/edge/functions/spacesync-api.ts and the modules it uses, npm packages included. Do not edit.
// The function's code is spacesync.js, a bundle that starts serving when loaded.
import './spacesync.js';
