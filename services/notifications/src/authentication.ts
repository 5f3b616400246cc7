// tsoa imports the authentication module by path; the implementation is shared by every service.
export { koaAuthentication } from '@agora/mesh';
