// Style sheets are bundled by Vite; TypeScript only needs to know importing them is fine.
declare module '*.css';
