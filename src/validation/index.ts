export * from './types';
export * from './manifest-validator';
