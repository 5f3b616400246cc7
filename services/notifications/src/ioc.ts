// tsoa imports the IoC module by path; controllers get this service's dependencies per request.
export { iocContainer } from '@agora/mesh';
