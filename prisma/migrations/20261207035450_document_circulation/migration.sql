-- CreateEnum
CREATE TYPE "DocumentCirculation" AS ENUM ('UNRESTRICTED', 'NOI_BO', 'XEM_XONG_TRA_LAI', 'TRA_LAI_SAU_KHI_HOP');

-- AlterTable
ALTER TABLE "official_document" ADD COLUMN     "circulation" "DocumentCirculation" NOT NULL DEFAULT 'UNRESTRICTED';
GRANT UPDATE ("circulation") ON "official_document" TO egov_app;
