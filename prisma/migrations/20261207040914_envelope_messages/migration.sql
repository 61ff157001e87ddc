-- CreateEnum
CREATE TYPE "EnvelopeMessage" AS ENUM ('ENVELOPE', 'RECALL', 'UPDATE');

-- AlterTable
ALTER TABLE "document_envelope" ADD COLUMN     "message_key" TEXT,
ADD COLUMN     "outbound" "EnvelopeMessage" NOT NULL DEFAULT 'ENVELOPE';
GRANT UPDATE ("outbound", "message_key") ON "document_envelope" TO egov_app;
