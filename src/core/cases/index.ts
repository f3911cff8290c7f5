// Case rules shared by the server and the web app.
export * from './state-machine.js';
export * from './sources.js';
